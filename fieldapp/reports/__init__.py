"""Reports (issue 15, DOMAIN §8): the commune's and the province's indicators at a date,
read from the register's periods in system time (ARCHITECTURE decision 10), the named lists a
commune sends upward, and the report calendar (due dates per province)."""
