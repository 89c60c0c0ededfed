"""Code lists of DOMAIN §4, stored as data seeded by migrations."""
