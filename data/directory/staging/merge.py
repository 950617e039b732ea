"""Merge the research files of this folder (`<name>.json`) into the directory data, or check the merge.

    python3 data/directory/staging/merge.py            # merge into a temporary copy and run check.py on it
    python3 data/directory/staging/merge.py --write    # write the merged organisations/offers/funding files

A staging file is {"organisations": [...], "offers": [...], "funding": [...], "updates": [...]}: new records in the
schema of data/directory/README.md, and updates of existing records {"file": "organisations"|"offers"|"funding",
"slug": …, "set": {field: value, …}}. A new record whose slug exists already is an error.
"""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DIRECTORY = HERE.parent
FILES = ("organisations", "offers", "funding")


def merged() -> dict[str, list[dict]]:
    data = {name: json.loads((DIRECTORY / f"{name}.json").read_text(encoding="utf-8")) for name in FILES}
    for path in sorted(HERE.glob("*.json")):
        staged = json.loads(path.read_text(encoding="utf-8"))
        for name in FILES:
            slugs = {record["slug"] for record in data[name]}
            for record in staged.get(name, []):
                if record["slug"] in slugs:
                    sys.exit(f"{path.name}: {name} slug {record['slug']!r} exists already")
                data[name].append(record)
                slugs.add(record["slug"])
        for update in staged.get("updates", []):
            target = [r for r in data[update["file"]] if r["slug"] == update["slug"]]
            if not target:
                sys.exit(f"{path.name}: update of unknown {update['file']} {update['slug']!r}")
            target[0].update(update["set"])
    return data


def write(directory: Path, data: dict[str, list[dict]]) -> None:
    for name in FILES:
        text = json.dumps(data[name], ensure_ascii=False, indent=1) + "\n"
        (directory / f"{name}.json").write_text(text, encoding="utf-8")


def main() -> int:
    data = merged()
    if "--write" in sys.argv:
        write(DIRECTORY, data)
        print("written:", ", ".join(f"{len(data[n])} {n}" for n in FILES))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "directory"
        copy.mkdir()
        (Path(tmp) / "territories").symlink_to(DIRECTORY.parent / "territories")
        shutil.copy(DIRECTORY / "check.py", copy / "check.py")
        write(copy, data)
        return subprocess.call([sys.executable, str(copy / "check.py"), *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
