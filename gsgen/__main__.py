from gsgen.cli import main

raise SystemExit(main())
