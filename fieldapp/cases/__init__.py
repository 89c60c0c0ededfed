"""Case management under Decree 56/2017, Chapter III (issue 16): a report about a child at
risk, its steps to a closed case, and the deadlines that count."""
