"""``python -m bien_gioi_geo`` runs the command line."""

from .cli import main

raise SystemExit(main())
