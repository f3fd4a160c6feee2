"""Models of the loyalty app; filled in by its own issue."""
