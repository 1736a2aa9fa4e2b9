"""What lasts and changes while the bot runs: reloads, settings, the usage log, watching."""
