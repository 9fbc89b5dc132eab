"""ficarchive: a self-hostable archive of fanworks."""
