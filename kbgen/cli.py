"""`kbgen`: the command line. A thin layer over the core in `kbgen.project`."""
from __future__ import annotations

import json
import os
import re
import sys
import traceback

import click
import yaml

from .build import GONE, HELD_ASIDE, build as build_site, check as check_site
from .checks import run_checks
from .config import config_schema, find_config
from .diagnostics import Location, Report
from .model import SLUG_PATTERN, Topic
from .project import Project, load_project, make_slug
from .scaffold import skeleton
from .schema import json_schema, to_data
from .writer import write_file


def _config_path(config: str | None) -> str:
    path = config or find_config()
    if path is None or not os.path.isfile(path):
        click.echo(f"error: no kbgen.yml found{' at ' + path if path else ' here or in a parent folder'} "
                   "(run kbgen from the project folder, or pass --config)", err=True)
        sys.exit(2)
    return path


def _subject_or_exit(config: str | None, subject: str):
    """The project and its subject `subject`, or exit 2 with a message naming the known ones."""
    project = _load(config)
    if project.config is None:
        _print_report(project.report)
        sys.exit(2)
    found = project.config.subject(subject)
    if found is None:
        known = ", ".join(s.id for s in project.config.subjects)
        click.echo(f"error: no subject '{subject}' in kbgen.yml (known: {known})", err=True)
        sys.exit(2)
    return project, found


def _load(config: str | None) -> Project:
    return load_project(_config_path(config))


def _print_report(report: Report) -> None:
    for diag in report.items:
        click.echo(diag.format())


config_option = click.option("--config", "config", metavar="PATH", help="kbgen.yml to use (default: found upwards)")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kbgen")
def main() -> None:
    """kbgen: study notes (CSV sheet + YAML topics) -> knowledge-base site."""


@main.command()
@config_option
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings.")
def lint(config: str | None, strict: bool) -> None:
    """Validate all data and report errors and warnings.

    Exit 0 when clean, 1 for warnings under --strict, 2 for errors."""
    project = _load(config)
    if not project.report.errors:
        run_checks(project)
    report = project.report
    _print_report(report)
    subjects = len(project.config.subjects) if project.config else 0
    click.echo(f"{len(project.topics)} topics in {subjects} subject(s): "
               f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)")
    if report.errors:
        sys.exit(2)
    if strict and report.warnings:
        sys.exit(1)


@main.command()
@config_option
@click.argument("subject")
@click.argument("topic")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
@click.option("--source", is_flag=True, help="Include the parsed cells with line numbers and markers.")
def show(config: str | None, subject: str, topic: str, fmt: str, source: bool) -> None:
    """Print one topic as kbgen read it: SUBJECT id, TOPIC slug, NO or title."""
    project = _load(config)
    if project.report.errors:
        _print_report(project.report)
        sys.exit(2)
    found = project.find(subject, topic)
    if found is None:
        click.echo(f"error: no topic '{topic}' in subject '{subject}' (try a slug, NO or title)", err=True)
        sys.exit(2)
    data = to_data(found)
    if source:
        data["cells"] = to_data(found.cells, internal_fields=True)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), nl=False)


@main.command()
@config_option
@click.option("--out", "out", required=True, metavar="DIR", help="Folder to write the pages into (e.g. docs).")
@click.option("--format", "fmt", type=click.Choice(["mkdocs", "jekyll"]), default="mkdocs", show_default=True)
def build(config: str | None, out: str, fmt: str) -> None:
    """Write the site's pages into DIR.

    Pages whose content would not change are not touched (same bytes, same mtime). In a
    written page, kbgen owns the front matter and the region between its markers;
    everything else (your notes) is kept byte for byte. Exit 2 on data errors or when a
    page's markers were edited (that page is left untouched)."""
    path = _config_path(config)
    if sys.stderr.isatty():
        click.echo(f"kbgen: reading the data and writing pages into {out} …", err=True)
    result = build_site(path, out, fmt)
    _print_report(result.report)
    if result.report.errors:
        click.echo(f"nothing written: {len(result.report.errors)} error(s) in the data", err=True)
        sys.exit(2)
    for page, why in result.refused:
        click.echo(f"{os.path.join(out, page)}: error: left untouched because {why} "
                   "(restore the markers, e.g. from git, or move your notes out and delete the file)")
    for old, new in result.moved:
        click.echo(f"{os.path.join(out, old)}: moved to {os.path.join(out, new)} (its topic's title, slug or category "
                   "changed; the notes in it went along)")
    for page in result.orphans:
        click.echo(f"{os.path.join(out, page)}: warning: {GONE} (delete the page if you no longer need it; "
                   "kbgen never deletes pages)")
    if result.cached:
        click.echo(f"no change: 0 written, {result.unchanged} unchanged in {out} (0 snippets run)")
    else:
        click.echo(f"{len(result.written)} written, {result.unchanged} unchanged, "
                   f"{len(result.refused)} refused in {out} ({result.snippets_run} snippet(s) run)")
    if result.refused:
        sys.exit(2)


@main.command()
@config_option
@click.option("--out", "out", required=True, metavar="DIR", help="Folder the pages were written into.")
@click.option("--format", "fmt", type=click.Choice(["mkdocs", "jekyll"]), default="mkdocs", show_default=True)
def check(config: str | None, out: str, fmt: str) -> None:
    """For CI: exit 1 and list the pages in DIR that no longer match the data.

    Only kbgen's parts of a page are compared; notes you wrote never make it stale."""
    report, stale = check_site(_config_path(config), out, fmt)
    _print_report(report)
    if report.errors:
        sys.exit(2)
    for page, why in stale:
        click.echo(f"{os.path.join(out, page)}: stale: {why}")
    if stale:
        gone = sum(why == GONE for _, why in stale)
        aside = sum(why == HELD_ASIDE for _, why in stale)
        steps = [f"run `kbgen build --out {out}`"] if len(stale) > gone + aside else []
        if gone:  # a build cannot fix these
            steps.append(f"delete the {gone} page(s) whose topic is gone, once your notes are safe (kbgen never deletes pages)")
        if aside:
            steps.append(f"copy the notes of the {aside} page(s) held aside into their topics' pages, then delete them")
        click.echo(f"{len(stale)} stale page(s): " + "; ".join(steps))
        sys.exit(1)
    click.echo(f"up to date: {out}")


@main.command(name="apply")
@config_option
def apply_cmd(config: str | None) -> None:
    """Update the existing Jekyll site named in kbgen.yml (`jekyll:`) in place.

    The first time a hand-written page is applied, its old body goes once into a
    collapsed backup block; afterwards only kbgen's region changes. Exit 2 on data errors
    or when a page's markers were damaged (that page is left untouched)."""
    from .apply import apply as apply_site  # here: `kbgen build`'s no-change run imports little
    result = apply_site(_config_path(config))
    _print_report(result.report)
    if result.report.errors:
        click.echo(f"nothing written: {len(result.report.errors)} error(s)", err=True)
        sys.exit(2)
    for page, why in result.refused:
        click.echo(f"{page}: error: left untouched because {why} (restore the markers, e.g. from git)")
    for page in result.adopted:
        click.echo(f"{page}: applied for the first time; its old body is in the 🗂️ 기존 내용 (백업) block")
    click.echo(f"{len(result.written)} written, {result.unchanged} unchanged, {len(result.refused)} refused")
    if result.refused:
        sys.exit(2)


@main.command()
@config_option
@click.argument("subject")
@click.argument("title")
@click.option("--slug", help="URL name (default: made from the title)")
def new(config: str | None, subject: str, title: str, slug: str | None) -> None:
    """Write a topic file to fill in: SUBJECT id and the topic's TITLE.

    Every field is there, explained in Korean and English; only the title and the
    category are set. Run `kbgen lint --strict` after filling it in."""
    project, found = _subject_or_exit(config, subject)
    if not found.topics:
        click.echo(f"error: subject '{subject}' has no `topics` folder in kbgen.yml (add one, e.g. "
                   f"topics: data/{subject}/topics)", err=True)
        sys.exit(2)
    slug = slug or make_slug(title)
    if not slug or not re.match(SLUG_PATTERN, slug):
        click.echo(f"error: cannot make a URL name from '{title}' (pass --slug, e.g. --slug my-topic)", err=True)
        sys.exit(2)
    clash = next((t for t in project.by_subject(subject) if t.slug == slug or t.title == title), None)
    if clash is not None:
        click.echo(f"error: subject '{subject}' already has '{clash.title}' (slug {clash.slug}); "
                   "edit that one, or pass another --slug", err=True)
        sys.exit(2)
    path = os.path.join(project.config.resolve(found.topics), f"{slug}.yml")
    if os.path.exists(path):
        click.echo(f"error: {project.config.display(path)} already exists; nothing written", err=True)
        sys.exit(2)
    write_file(path, skeleton(found, title, slug))
    click.echo(f"wrote {project.config.display(path)}: fill it in, then run `kbgen lint --strict` "
               "and `mkdocs serve` to see the page")


@main.group()
def export() -> None:
    """Export the study deck for other tools."""


@export.command(name="anki")
@config_option
@click.option("--out", "out", required=True, metavar="FILE", help="The text file to write, e.g. kbgen-anki.txt.")
def export_anki(config: str | None, out: str) -> None:
    """Write one Anki note per topic: front (title), back (definition, mnemonics,
    components, keywords, exam questions), tags from subject and category.

    In Anki: File > Import, pick FILE; the header lines set tab separation, HTML and the
    tags column. Importing a newer export updates the notes it made before."""
    project = _load(config)
    if project.report.errors:
        _print_report(project.report)
        click.echo(f"nothing written: {len(project.report.errors)} error(s) in the data", err=True)
        sys.exit(2)
    from .study.anki import anki_notes
    text = anki_notes(project)
    try:
        write_file(out, text)
    except OSError as exc:
        click.echo(f"{out}: error: cannot write the file: {exc.strerror} (check the folder and its permissions)",
                   err=True)
        sys.exit(2)
    click.echo(f"wrote {out}: {len(project.topics)} notes (in Anki: File > Import)")


@main.command(name="import")
@config_option
@click.argument("pages", nargs=-1, required=True)
@click.option("--out", "out", metavar="FOLDER", help="Folder for the topic files (default: the subject's topics folder).")
@click.option("--subject", help="Subject id in kbgen.yml: its categories place the topics and its folder takes them.")
@click.option("--force", is_flag=True, help="Overwrite topic files that already exist.")
def import_cmd(config: str | None, pages: tuple[str, ...], out: str | None, subject: str | None, force: bool) -> None:
    """Turn existing Markdown pages into topic files (YAML), one per page.

    Reads seed-style CSV pages of a Jekyll site (with their 🗂️ 기존 내용 (백업) block),
    pages kbgen wrote, and plain Markdown posts. What has no field goes into `notes`;
    nothing is dropped. Remote and expiring images are reported. Nothing is written when
    a page cannot be read or a file exists (unless --force)."""
    from .importer import check_topic, dump_topic, import_page, unique_slug
    report = Report()
    found = None
    taken: set[str] = set()
    if subject is not None:
        project, found = _subject_or_exit(config, subject)
        if out is None:
            if not found.topics:
                click.echo(f"error: subject '{subject}' has no `topics` folder in kbgen.yml; pass --out", err=True)
                sys.exit(2)
            out = project.config.resolve(found.topics)
    if out is None:
        click.echo("error: say where the topic files go: --out FOLDER, or --subject ID to use its topics folder",
                   err=True)
        sys.exit(2)
    planned: list[tuple[str, str, str, list[str]]] = []  # (page, target, text, front matter not imported)
    for page in pages:
        done = import_page(page, page, report, found)
        if done is None:
            continue
        topic, data = done
        topic.slug = unique_slug(topic, taken, os.path.splitext(os.path.basename(page))[0])
        if not check_topic(topic, page, report):
            continue
        target = os.path.join(out, f"{topic.slug}.yml")
        if os.path.exists(target) and not force:
            report.error("import-exists", Location(file=target), "the file already exists",
                         "pass --force to overwrite it, or --out another folder")
            continue
        planned.append((page, target, dump_topic(topic, page), list(data.front)))
    _print_report(report)
    if report.errors:
        click.echo(f"nothing written: {len(report.errors)} error(s)", err=True)
        sys.exit(2)
    for page, target, text, unused in planned:
        write_file(target, text)
        click.echo(f"wrote {target} (from {page})")
        if unused:
            click.echo(f"{page}: note: front matter not imported: {', '.join(unused)}")
    click.echo(f"{len(planned)} topic file(s) written, {len(report.warnings)} warning(s); "
               "check them with `kbgen lint --strict`")


@main.command()
@click.option("--out", "out", default="schema", show_default=True, metavar="DIR",
              help="Folder for topic.schema.json and kbgen.schema.json.")
def schema(out: str) -> None:
    """Write the JSON Schemas of topic files and kbgen.yml, for editor completion."""
    files = {
        "topic.schema.json": json_schema(Topic, "kbgen topic file"),
        "kbgen.schema.json": config_schema(),
    }
    for name, body in files.items():
        text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
        changed = write_file(os.path.join(out, name), text)
        click.echo(f"{'wrote' if changed else 'unchanged'} {os.path.join(out, name)}")


def run() -> None:
    """Entry point: no traceback for the user unless KBGEN_DEBUG is set."""
    try:
        main(standalone_mode=True)
        code = 0
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        code = 130
    except Exception as exc:  # a bug in kbgen, not bad input: say so briefly
        if os.environ.get("KBGEN_DEBUG"):
            traceback.print_exc()
        click.echo(f"internal error: {type(exc).__name__}: {exc} "
                   "(this is a kbgen bug; rerun with KBGEN_DEBUG=1 and report it)", err=True)
        code = 3
    _leave(code)


def _leave(code: int | str | None) -> None:
    """Exit without tearing the heap down. A loaded project is millions of objects, partly
    in cycles (the site plan points back at it), and freeing them one by one at exit took
    half a second of a 5,000-topic build; the OS takes the memory back at once. Every file
    kbgen writes is closed by then and its workers are joined; the output is flushed here."""
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"), as Python prints it
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`kbgen lint | head`) or stream
            pass
    os._exit(code)
