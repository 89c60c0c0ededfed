"""The numbers that may change with the rules in force (issue 14 §1.5): the age limit, the
review period, the re-check share. National rules, changed by the system administrator."""
