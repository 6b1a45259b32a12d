from attempt_tui.cli import main

raise SystemExit(main())
