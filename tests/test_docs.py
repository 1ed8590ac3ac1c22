"""Every CHISO_* environment variable the code reads is documented, in the README and in
docs/deploy.md."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def variables_in_code() -> set[str]:
    names = set()
    for folder in ("chiso", "scripts", "bench", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            # read from the environment: os.environ[...] / .get(...), or a settings env_* helper
            names |= set(re.findall(r"""(?:environ\.get\(|environ\[|env\w*\()\s*["'](CHISO_[A-Z0-9_]+)["']""",
                                    path.read_text(encoding="utf-8")))
    names |= set(re.findall(r"\b(CHISO_[A-Z0-9_]+)\b", (ROOT / ".ci" / "run").read_text()))
    return names


def test_every_environment_variable_is_documented():
    names = variables_in_code()
    assert "CHISO_SECRET_KEY" in names and "CHISO_SITE_URL" in names
    for doc in ("README.md", "docs/deploy.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        missing = sorted(n for n in names if n not in text)
        assert not missing, f"{doc} does not document {missing}"
