"""`python -m renderer`: the same as the `renderer` command."""

from renderer.cli import main

raise SystemExit(main())
