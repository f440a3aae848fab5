"""Schema documentation and ER diagrams from the live catalog."""
