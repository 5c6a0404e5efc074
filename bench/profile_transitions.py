"""Where the write path's time goes: cProfile over bench/transitions.py's loop through
`casefile.applications.apply_event`, on a scratch database (SQLite or PostgreSQL).

    .venv/bin/python bench/profile_transitions.py --backend sqlite --transitions 300 [--top 40]
    .venv/bin/python bench/profile_transitions.py --backend postgresql --echo

`--echo` prints the SQL one transition sends (to compare with the floor's six statements).
"""

import argparse
import cProfile
import io
import pstats
import sys
from pathlib import Path

# As bench/transitions.py: this folder's name would hide the `transitions` package.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from sqlalchemy import event  # noqa: E402

from bench.transitions import POSTGRES_URL, database, prepare, through_domain  # noqa: E402
from fairtrack.database import make_engine  # noqa: E402
from fairtrack.migrate import upgrade  # noqa: E402
from law.road import Role  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "postgresql"))
    parser.add_argument("--transitions", type=int, default=300)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--echo", action="store_true", help="print one transition's SQL")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    args = parser.parse_args()
    with database(args.backend, args.postgres_url) as url:
        engine = make_engine(url, pool_pre_ping=False)  # as the server (and bench/transitions.py)
        upgrade(engine)
        refs, applicant, regulator = prepare(engine)
        actors = {Role.applicant: applicant, Role.regulator: regulator}
        through_domain(engine, refs, actors, 40)  # warm-up
        if args.echo:
            seen: list[str] = []

            def show(_c: object, _cu: object, statement: str, params: object, *_: object) -> None:
                seen.append(f"{statement}\n    {params}")

            event.listen(engine, "before_cursor_execute", show)
            through_domain(engine, refs, actors, 1)
            event.remove(engine, "before_cursor_execute", show)
            print("\n".join(seen))
        profile = cProfile.Profile()
        profile.enable()
        rate = through_domain(engine, refs, actors, args.transitions)
        profile.disable()
        engine.dispose()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(f"{args.backend}: {rate:.0f} transitions/s under the profiler")
    print(out.getvalue())


if __name__ == "__main__":
    main()
