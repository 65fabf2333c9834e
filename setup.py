"""Map the repository's top-level folders onto the ``raikit`` import package.

``guardrails/`` installs as ``raikit.guardrails``, ``audits/`` as ``raikit.audits`` and so on,
so raikit never collides with PyPI's ``guardrails`` or ``watermark``. Works for normal and
editable installs. Everything else lives in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup

ROOTS = {
    "raikit": "raikit",
    "raikit.guardrails": "guardrails",
    "raikit.audits": "audits",
    "raikit.policies": "policies",
    "raikit.watermark": "watermark",
}


def _packages() -> tuple[list[str], dict[str, str]]:
    packages: list[str] = []
    package_dir: dict[str, str] = {}
    for name, folder in ROOTS.items():
        package_dir[name] = folder
        for init in sorted(Path(folder).rglob("__init__.py")):
            rel = init.parent.relative_to(folder)
            packages.append(".".join([name, *rel.parts]) if rel.parts else name)
    return packages, package_dir


packages, package_dir = _packages()
setup(packages=packages, package_dir=package_dir)
