"""Models of the guests app; filled in by its own issue."""
