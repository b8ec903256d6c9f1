"""Integration tests: the real `portfolio` command building real sites."""
