"""Admin for the Holiday table (placeholder; filled by the calendar work)."""
