"""The read API (/api/v1/): published content for other software, from the kind registry."""
