"""The command line and the console: `briefbot` and its plain-text and JSON replies."""
