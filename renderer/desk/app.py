"""The desk's pages, served by Flask: upload, check (sections, pins), render (options, progress)
and the results (PDF, audio with chapters, books, the report).

Flask was chosen over an async framework because the pipeline is synchronous and CPU-bound:
the renders run in the shared pool's threads and processes whatever serves the page, so the
page itself needs nothing async; Flask (with Werkzeug and Jinja2, all Pallets projects) gives
form and upload limits, templates that escape by default, signed session cookies and a test
client without more dependencies. waitress (server.py) serves it on Linux, macOS and Windows
alike, in pure Python."""

from __future__ import annotations

import io
import os
import secrets
import tempfile
import time
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from flask import (
    Flask,
    Request,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from renderer.desk.forms import COLOURS, MAKE, PAPER, Choices, form_values, options_from_form
from renderer.desk.pins import DeskPin
from renderer.desk.pool import RenderPool, output_path
from renderer.desk.security import (
    CSRF_FIELD,
    HEADERS,
    PAGE_POLICY,
    REPORT_POLICY,
    allowed_hosts,
    cross_site,
    host_allowed,
    new_token,
    same,
)
from renderer.desk.settings import MAX_TEXT_CHARACTERS, DeskSettings
from renderer.desk.uploads import refusal, shown_name
from renderer.desk.views import KEEP_AS_IS, outputs_of, section_views
from renderer.desk.workspace import DONE, FAILED, RenderRun, RunItem, Workspace
from renderer.errors import RendererError, UsageError
from renderer.model import Article, comparable_text

if TYPE_CHECKING:
    from renderer.config import Options

PASTED = "Pasted text"
LOGIN_DELAY = 1.0  # seconds a wrong password waits: guessing goes slowly
# Files the page serves by their type; anything else is a download.
_TYPES = {
    ".pdf": "application/pdf",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".epub": "application/epub+zip",
    ".smil": "application/smil+xml",
}
_INLINE = {".pdf", ".mp3", ".wav", ".txt", ".html"}


class Desk:
    """Everything the pages share: the settings, the workspace, the pool, the clinic's options
    and the speech engine's voices."""

    def __init__(self, settings: DeskSettings) -> None:
        from renderer.config import build_options

        self.settings = settings
        self.defaults = build_options(settings.settings)  # a bad renderer.toml stops here
        self.workspace = Workspace(settings.root, settings.keep_minutes * 60)
        self.pool = RenderPool(settings.jobs, settings.timeout)
        self.voices, self.voice_problem = _voices(self.defaults.speech.engine)
        self._cues: dict[Any, Any] = {}

    def close(self) -> None:
        self.pool.shutdown()
        self.workspace.close()

    def cues(self, options: Options) -> Any:
        from renderer.analysis.sections import load_cues

        key = tuple(options.cue_files)
        if key not in self._cues:
            self._cues[key] = load_cues(options.cue_files)
        return self._cues[key]


def _voices(engine: str | None) -> tuple[list[tuple[str, str]], str | None]:
    """The speech engine's voices as (id, name), or why there are none."""
    from renderer.outputs.speech import open_engine

    try:
        voices = open_engine(engine).voices()
    except RendererError as error:
        return [], str(error)
    return sorted(
        ((v.id, f"{v.name} ({', '.join(v.languages)})") for v in voices), key=lambda v: v[1].lower()
    ), None


def create_app(desk: Desk) -> Flask:
    settings = desk.settings
    here = Path(__file__).parent
    app = Flask(
        "renderer.desk",
        template_folder=str(here / "templates"),
        static_folder=str(here / "static"),
    )
    spool = desk.workspace.uploads

    class SpooledRequest(Request):
        """Uploaded files are spooled in the desk's private folder, and unlinked at once."""

        def _get_file_stream(
            self,
            total_content_length: int | None,
            content_type: str | None,
            filename: str | None = None,
            content_length: int | None = None,
        ) -> IO[bytes]:
            return tempfile.TemporaryFile(dir=spool)

    app.request_class = SpooledRequest
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),  # a restart signs everyone out: nothing to leak
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        MAX_FORM_MEMORY_SIZE=4 * MAX_TEXT_CHARACTERS,  # pasted text, up to 4 bytes a character
        MAX_FORM_PARTS=settings.max_files + 100,
        SESSION_COOKIE_NAME="renderer_desk",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
    )
    app.config["DESK"] = desk
    hosts = allowed_hosts(settings.host)

    @app.context_processor
    def shared() -> dict[str, Any]:
        return {
            "csrf": session.get(CSRF_FIELD, ""),
            "signed_in": settings.needs_login and session.get("in"),
            "keep_minutes": f"{settings.keep_minutes:g}",
            "keep_as_is": KEEP_AS_IS,
        }

    @app.before_request
    def guard() -> Any:
        if not host_allowed(request.host, hosts):
            abort(
                400,
                "This address is not the desk's own. Open the desk by the address it printed when it started.",
            )
        if "sid" not in session:
            session["sid"] = new_token()
            session[CSRF_FIELD] = new_token()
        if (
            settings.needs_login
            and not session.get("in")
            and request.endpoint not in ("login", "static")
        ):
            return redirect(url_for("login"))
        if request.method == "POST":
            if cross_site(request.headers.get("Sec-Fetch-Site")):
                abort(403, "A page of another site tried to send this form.")
            if not same(request.form.get(CSRF_FIELD), session.get(CSRF_FIELD)):
                abort(
                    400,
                    "This form has expired (the desk was restarted, or the page is old). Go back, reload the page and send it again.",
                )
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if response.mimetype == "text/html":
            report = request.endpoint == "files"
            response.headers["Content-Security-Policy"] = REPORT_POLICY if report else PAGE_POLICY
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(HTTPException)
    def problem(error: HTTPException) -> tuple[str, int]:
        if isinstance(error, RequestEntityTooLarge):
            message = (
                f"The files are too large to take: all together they may be up to "
                f"{settings.max_request_bytes // 1024 // 1024} MB, each file up to "
                f"{settings.max_file_bytes // 1024 // 1024} MB."
            )
        else:
            message = error.description or error.name
        return render_template("problem.html", title=error.name, message=message), error.code or 500

    def owner() -> str:
        return str(session["sid"])

    def job_or_404(job_id: str) -> Any:
        job = desk.workspace.job(job_id, owner())
        if job is None:
            abort(
                404,
                "These handouts are not here: they were removed after a time unused, or were made in another browser.",
            )
        return job

    # -- pages ------------------------------------------------------------------------------------

    @app.get("/")
    def index() -> str:
        jobs = sorted(desk.workspace.jobs_of(owner()), key=lambda j: -j.touched)
        return render_template(
            "index.html", jobs=jobs, settings=settings, config=settings.config_path
        )

    @app.post("/upload")
    def upload() -> Any:
        files = [f for f in request.files.getlist("files") if f.filename]
        text = request.form.get("text", "")
        title = " ".join(request.form.get("title", "").split())
        if not files and not text.strip():
            return render_template(
                "index.html",
                jobs=desk.workspace.jobs_of(owner()),
                settings=settings,
                config=settings.config_path,
                problem="Choose a file, or paste the text of a handout, first.",
            ), 400
        if len(files) > settings.max_files:
            return render_template(
                "index.html",
                jobs=desk.workspace.jobs_of(owner()),
                settings=settings,
                config=settings.config_path,
                problem=f"Choose up to {settings.max_files} files at once.",
            ), 400
        job = desk.workspace.new_job(owner())
        with job.lock:
            for file in files:
                shown = shown_name(file.filename or "")
                stream = file.stream
                stream.seek(0, os.SEEK_END)
                size = stream.tell()
                stream.seek(0)
                head = stream.read(16)
                why = refusal(shown, head, size, settings.max_file_bytes)
                if why is not None:
                    job.refused.append(why)
                    continue
                stream.seek(0)
                job.add(shown, shown, stream.read())
            if text.strip():
                if len(text) > MAX_TEXT_CHARACTERS:
                    job.refused.append(
                        f"{PASTED}: too long to take ({len(text):,} characters; up to {MAX_TEXT_CHARACTERS:,})"
                    )
                else:
                    body = (f"{title}\n\n" if title else "") + text.replace("\r\n", "\n")
                    shown = f"{PASTED}: {title}" if title else PASTED
                    job.add(shown, (title or "pasted text") + ".txt", body.encode("utf-8"))
            job.values = form_values(desk.defaults)
        return redirect(url_for("check", job_id=job.id), 303)

    def analysis(job: Any, article: Any, options: Options) -> tuple[Article | None, str | None]:
        from renderer.analysis.article import analyse

        key = (article.version, options.target_grade, tuple(options.cue_files))
        cached = article.analysed
        if cached is not None and cached[0] == key:
            return cached[1], cached[2]
        try:
            result: tuple[Article | None, str | None] = (
                analyse(article.path, options, desk.cues(options)),
                None,
            )
        except RendererError as error:
            result = (None, job.plain(str(error)))
        article.analysed = (key, *result)
        return result

    def job_options(job: Any) -> Options:
        if job.run is not None:
            options: Options = job.run.options
            return options
        return desk.defaults

    def check_page(job: Any, problem: str | None = None) -> str:
        options = job_options(job)
        with job.lock:
            items = []
            for article in job.articles:
                analysed, error = analysis(job, article, options)
                views = section_views(analysed, options.target_grade) if analysed else []
                items.append((article, analysed, error, views))
        choices = Choices(values=job.values or form_values(desk.defaults))
        return render_template(
            "check.html",
            job=job,
            items=items,
            target=options.target_grade,
            choices=choices,
            paper=PAPER,
            colours=COLOURS,
            make=MAKE,
            voices=desk.voices,
            voice_problem=desk.voice_problem,
            config=settings.config_path,
            problem=problem,
        )

    @app.get("/job/<job_id>")
    def check(job_id: str) -> str:
        return check_page(job_or_404(job_id))

    @app.post("/job/<job_id>/pin")
    def pin(job_id: str) -> Any:
        job = job_or_404(job_id)
        with job.lock:
            article = job.article(request.form.get("article", ""))
            if article is None:
                abort(404, "That handout is not in this upload.")
            analysed, _ = analysis(job, article, job_options(job))
            if analysed is None:
                abort(400, "This handout could not be read, so nothing in it can be pinned.")
            pin = _pin_from_form(request.form, analysed)
            try:
                job.pin(article, pin)
            except RendererError as error:
                return check_page(job, job.plain(str(error))), 400
            pinned, _ = analysis(job, article, job_options(job))
            if pinned is not None and not _took_effect(pinned, request.form, pin):
                # A pin file applies every protect pin before every unprotect pin: a passage
                # cannot be boxed inside a section its own pin unboxes. Say so; keep nothing.
                job.unpin(article, len(article.pins) - 1)
                return check_page(
                    job,
                    "That passage is in a section you unboxed, and a section's pin applies to "
                    "all of it: remove that pin first (under “Pins for this handout”), then box "
                    "the passage.",
                ), 400
        anchor = f"a-{article.key}-s{request.form.get('section', '')}"
        return redirect(url_for("check", job_id=job.id, _anchor=anchor), 303)

    @app.post("/job/<job_id>/unpin")
    def unpin(job_id: str) -> Any:
        job = job_or_404(job_id)
        with job.lock:
            article = job.article(request.form.get("article", ""))
            number = _number(request.form.get("pin"))
            if article is None or number is None or not 0 <= number < len(article.pins):
                abort(404, "That pin is not there.")
            job.unpin(article, number)
        return redirect(url_for("check", job_id=job.id, _anchor=f"pins-{article.key}"), 303)

    @app.get("/job/<job_id>/pins/<key>")
    def pins(job_id: str, key: str) -> Any:
        from renderer.analysis.review import pins_path

        job = job_or_404(job_id)
        article = job.article(key)
        path = None if article is None else pins_path(article.path)
        if article is None or path is None or not path.is_file():
            abort(404, "This handout has no pins.")
        name = Path(article.shown).stem if article.shown != PASTED else "pasted-text"
        return send_file(
            path, mimetype="text/plain", as_attachment=True, download_name=f"{name}.pins.toml"
        )

    @app.post("/job/<job_id>/render")
    def render(job_id: str) -> Any:
        job = job_or_404(job_id)
        with job.lock:
            if job.busy:
                return redirect(url_for("results", job_id=job.id), 303)
            formats = request.form.getlist("formats")
            job.values = {
                **form_values(desk.defaults),
                **{k: v for k, v in request.form.items() if k != CSRF_FIELD},
                "formats": formats,
            }
            try:
                options = options_from_form(request.form, formats, settings.settings)
            except UsageError as error:
                return check_page(job, error.message), 400
            if not job.articles:
                return check_page(job, "There is no handout to render: upload one first."), 400
            job.run = RenderRun(options, [RunItem(a) for a in job.articles])
            run = job.run
        desk.pool.start(job, run)
        return redirect(url_for("results", job_id=job.id), 303)

    @app.get("/job/<job_id>/result")
    def results(job_id: str) -> Any:
        job = job_or_404(job_id)
        if job.run is None:
            return redirect(url_for("check", job_id=job.id), 303)
        from renderer.report.entries import group_warnings

        with job.lock:
            run = job.run
            shown = []
            for item in run.items:
                made = (
                    outputs_of(item.article.key, item.article.out_dir)
                    if item.status in DONE and item.status != FAILED
                    else None
                )
                notes = group_warnings(made.warnings) if made else ()
                shown.append((item, made, notes))
            return render_template(
                "results.html",
                job=job,
                run=run,
                items=shown,
                done=run.done,
                settled=run.done and (run.report is not None or run.problem is not None),
                report=run.report is not None,
            )

    @app.get("/job/<job_id>/status.json")
    def status(job_id: str) -> Any:
        job = job_or_404(job_id)
        with job.lock:
            run = job.run
            if run is None:
                abort(404, "Nothing is rendering.")
            return jsonify(
                done=run.done and (run.report is not None or run.problem is not None),
                finished=run.finished,
                total=len(run.items),
                items=[
                    {"key": i.article.key, "status": i.status, "error": i.error} for i in run.items
                ],
            )

    @app.get("/job/<job_id>/files/<path:relative>")
    def files(job_id: str, relative: str) -> Any:
        job = job_or_404(job_id)
        target = output_path(job, relative)
        if target is None:
            abort(404, "That file is not among this upload's results.")
        suffix = target.suffix.lower()
        download = request.args.get("download") == "1" or suffix not in _INLINE
        return send_file(
            target,
            mimetype=_TYPES.get(suffix, "application/octet-stream"),
            as_attachment=download,
            download_name=target.name,
            conditional=True,
        )

    @app.get("/job/<job_id>/daisy/<key>.zip")
    def daisy(job_id: str, key: str) -> Any:
        from renderer.manifest import BOOK_FOLDER, NAME, Manifest, inside

        job = job_or_404(job_id)
        article = job.article(key)
        if article is None:
            abort(404, "That handout is not in this upload.")
        folder = article.out_dir / key
        try:
            manifest = Manifest.read(folder / NAME)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            abort(404, "This handout has no DAISY book.")
        parts = [e.path for k, e in manifest.outputs.items() if k.startswith(f"{BOOK_FOLDER}/")]
        if not parts:
            abort(404, "This handout has no DAISY book.")
        data = io.BytesIO()
        # MP3s are compressed already: stored as they are, the book zips in a moment.
        with zipfile.ZipFile(data, "w", zipfile.ZIP_STORED) as book:
            for part in sorted(parts):
                source = inside(folder, part)
                if source is not None and source.is_file():
                    book.write(source, f"{key}-daisy/{Path(part).relative_to(BOOK_FOLDER)}")
        data.seek(0)
        return send_file(
            data, mimetype="application/zip", as_attachment=True, download_name=f"{key}-daisy.zip"
        )

    @app.post("/job/<job_id>/remove")
    def remove(job_id: str) -> Any:
        job = job_or_404(job_id)
        if job.busy:
            flash("These handouts are still rendering: remove them when they are done.")
            return redirect(url_for("results", job_id=job.id), 303)
        desk.workspace.remove(job)
        flash("The handouts and everything made from them were removed from this computer.")
        return redirect(url_for("index"), 303)

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        if not settings.needs_login:
            return redirect(url_for("index"))
        if request.method == "POST":
            if same(request.form.get("password"), settings.password):
                session.clear()
                session.update(sid=new_token(), csrf=new_token(), **{"in": True})
                return redirect(url_for("index"), 303)
            time.sleep(LOGIN_DELAY)
            return render_template("login.html", problem="That is not the desk's password."), 401
        return render_template("login.html")

    @app.post("/logout")
    def logout() -> Any:
        session.clear()
        return redirect(url_for("login" if settings.needs_login else "index"), 303)

    return app


def _number(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _took_effect(article: Article, form: Mapping[str, str], pin: DeskPin) -> bool:
    """Whether the analysis with `pin` applied boxes (or unboxes) what the button asked for."""
    section = next((s for s in article.sections if s.index == _number(form.get("section"))), None)
    if section is None:
        return True  # pinned by its text alone: nothing here to compare
    block = _number(form.get("block"))
    if _number(form.get("check")) is not None:
        text = comparable_text(pin.text)
        return not any(comparable_text(c.text) == text for c in article.check_these)
    if block is not None and 0 <= block < len(section.blocks):
        boxed = section.protected or section.blocks[block].protected
        return boxed == pin.protect
    return section.protected == pin.protect


def _pin_from_form(form: Mapping[str, str], article: Article) -> DeskPin:
    """The pin a button asks for, its text taken from the analysis (the page sends where the
    passage is, not its words): a "check these" sentence, a block, or a section's heading."""
    protect = form.get("action") == "protect"
    kind = form.get("kind", "risk")
    check = _number(form.get("check"))
    if check is not None:
        if not 0 <= check < len(article.check_these):
            abort(404, "That sentence is not in the handout.")
        sentence = article.check_these[check]
        return DeskPin(sentence.text, True, sentence.kind.value)
    index = _number(form.get("section"))
    section = next((s for s in article.sections if s.index == index), None)
    if section is None:
        abort(404, "That section is not in the handout.")
    block = _number(form.get("block"))
    if block is not None:
        if not 0 <= block < len(section.blocks):
            abort(404, "That passage is not in the handout.")
        return DeskPin(comparable_text(section.blocks[block].plain_text()), protect, kind)
    if not section.heading:
        abort(400, "A section without a heading is pinned passage by passage.")
    return DeskPin(section.heading, protect, kind)
