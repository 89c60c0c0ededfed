"""The commune's child register: households, children, caregivers, circumstances, support."""
