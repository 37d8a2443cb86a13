"""Read models: the figures and lists the screens, reports and Z reports show, as plain functions of a Connection
returning tuples and dataclasses. They only read; writes go through the repositories beside this package
(local_cache.orders, codes, ...), and the rules that interpret the figures stay in kameng_desk.usecases."""
