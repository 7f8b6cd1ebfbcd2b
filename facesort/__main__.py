from facesort.cli import main

raise SystemExit(main())
