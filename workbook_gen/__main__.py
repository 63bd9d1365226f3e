from workbook_gen.cli import main

raise SystemExit(main())
