"""``python -m crawler`` is the same program as the ``newsarchive`` command."""

import sys

from crawler.cli import main

sys.exit(main())
