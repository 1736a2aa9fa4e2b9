"""`python -m bot` runs the same command line as `briefbot`."""

import sys

from bot.console.cli import main

sys.exit(main())
