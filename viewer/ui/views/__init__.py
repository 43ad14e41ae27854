"""The timeline and graph views."""
