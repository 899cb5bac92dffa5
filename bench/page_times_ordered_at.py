"""bench/page_times.py with the search ordering of another commit.

    .venv/bin/python bench/page_times_ordered_at.py COMMIT [page_times.py's arguments]

``SearchableQuerySet.best_matches_first`` and ``closest_first`` are taken from
``partners/searchable.py`` at COMMIT (``git show``; before the search methods had a
module of their own, ``PublishableQuerySet``'s in ``partners/publication.py``) and
put in place of today's,
the rest of the code as it is: run in turn with bench/page_times.py on the same
database, it times what a change of the order costs (docs/benchmarks.md, "What a
QA pass of the search changed").
"""

import ast
import os
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDERING = ("best_matches_first", "closest_first")


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    commit, arguments = sys.argv[1], sys.argv[2:]
    path, class_name = "partners/searchable.py", "SearchableQuerySet"
    shown = subprocess.run(
        ["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True
    )
    if shown.returncode:
        path, class_name = "partners/publication.py", "PublishableQuerySet"
        shown = subprocess.run(
            ["git", "show", f"{commit}:{path}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    source = shown.stdout
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnrs_intl.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from partners import searchable

    queryset = next(
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.ClassDef) and node.name == class_name
    )
    for node in queryset.body:
        if isinstance(node, ast.FunctionDef) and node.name in ORDERING:
            # Compiled among today's module names: the helpers they call.
            module = ast.Module(body=[node], type_ignores=[])
            names: dict = {}
            exec(compile(module, f"{commit}:{path}", "exec"),
                 searchable.__dict__, names)  # fmt: skip
            setattr(searchable.SearchableQuerySet, node.name, names[node.name])
    sys.argv = [str(ROOT / "bench" / "page_times.py"), *arguments]
    runpy.run_path(sys.argv[0], run_name="__main__")


if __name__ == "__main__":
    main()
