"""``python -m credit_segments.report``: see cli.py."""

from credit_segments.report.cli import main

raise SystemExit(main())
