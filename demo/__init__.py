"""The demo: the top layer, above every app, that seeds a living Kouvola cycle.

`seed_demo` (in `demo/management/commands/`) calls one module per app, in layer order:
`core` (areas, people, cycles), `ideas`, `voting`, `identification`, `committees`,
`budgets`. Each module writes only through that app's services (or the service the admin
uses), so the demo exercises the same rules, audit and tasks as real people do. No app
imports this package; a new app's demo data goes in a new module here, called from
`seed_demo` after the apps it builds on.
"""
