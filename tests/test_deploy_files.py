"""The deploy files (deploy/): gunicorn's settings as gunicorn reads them, nginx's configuration
parsed, the systemd units parsed (web, task worker, beat), each checked against the application's
own settings, and docs/deploy.md pointing at every one of them."""

import configparser
import importlib.util
import re
import runpy
import shlex
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
INSTALL_DIR = "/srv/duan8"  # where docs/deploy.md puts the checkout


# --- gunicorn --------------------------------------------------------------------------------


def gunicorn_settings(monkeypatch, **env):
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_TIMEOUT", "GUNICORN_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def test_gunicorn_listens_on_loopback_with_enough_workers_and_a_timeout(monkeypatch):
    conf = gunicorn_settings(monkeypatch)
    assert conf["bind"].startswith(("127.0.0.1:", "unix:"))
    assert conf["workers"] >= 2
    assert 10 <= conf["timeout"] <= 300
    assert conf["max_requests"] > 0 and 0 < conf["max_requests_jitter"] < conf["max_requests"]
    # the application writes the access line itself; gunicorn's stays off unless asked for
    assert conf["accesslog"] is None and conf["errorlog"] == "-"
    assert "x-request-id" in conf["access_log_format"]


def test_gunicorn_takes_its_values_from_the_environment_but_never_one_worker(monkeypatch):
    conf = gunicorn_settings(
        monkeypatch, GUNICORN_WORKERS="1", GUNICORN_TIMEOUT="90", GUNICORN_BIND="unix:/run/d.sock"
    )
    assert conf["workers"] == 2
    assert conf["timeout"] == 90
    assert conf["bind"] == "unix:/run/d.sock"
    assert gunicorn_settings(monkeypatch, GUNICORN_WORKERS="7")["workers"] == 7


def test_a_started_worker_has_imported_the_views_and_collects_garbage_less_often(monkeypatch):
    import gc

    conf = gunicorn_settings(monkeypatch, GUNICORN_GC_YOUNG="12345")
    before = gc.get_threshold()
    try:
        conf["post_worker_init"](None)
        assert gc.get_threshold() == (12345, 10, 10)
    finally:
        gc.set_threshold(*before)
    monkeypatch.delenv("GUNICORN_GC_YOUNG")
    assert gunicorn_settings(monkeypatch)["GC_YOUNG"] == 10000


# --- nginx -----------------------------------------------------------------------------------

TOKEN = re.compile(r"""#[^\n]*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[{};]|[^\s{};"'#]+""")


def nginx_parse(text):
    """nginx's configuration as a list of (directive, [arguments], [children])."""
    stack: list[list] = [[]]
    words: list[str] = []
    for token in TOKEN.findall(text):
        if token.startswith("#"):
            continue
        if token == ";":
            assert words, "an empty statement"
            stack[-1].append((words[0], words[1:], []))
            words = []
        elif token == "{":
            block: list = []
            stack[-1].append((words[0], words[1:], block))
            stack.append(block)
            words = []
        elif token == "}":
            assert not words, f"missing ';' after {words}"
            stack.pop()
            assert stack, "a '}' too many"
        else:
            words.append(token.strip("\"'"))
    assert not words and len(stack) == 1, "unbalanced braces or a missing ';'"
    return stack[0]


def find(block, name):
    return [entry for entry in block if entry[0] == name]


def one(block, name):
    (entry,) = find(block, name)
    return entry


def size_bytes(text):
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", text).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit.lower()]


def seconds(text):
    number, unit = re.fullmatch(r"(\d+)(s|m)?", text).groups()
    return int(number) * (60 if unit == "m" else 1)


@pytest.fixture(scope="module")
def nginx():
    return nginx_parse((DEPLOY / "nginx" / "duan8.conf").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def https(nginx):
    (server,) = [
        s for s in find(nginx, "server") if any("443" in d[1] for d in find(s[2], "listen"))
    ]
    return server[2]


def test_the_parser_refuses_a_broken_file():
    with pytest.raises(AssertionError):
        nginx_parse("server { listen 80 }")
    with pytest.raises(AssertionError):
        nginx_parse("server { listen 80;")


def test_nginx_accepts_the_largest_upload_the_application_accepts(https):
    largest = max(
        settings.ATTACHMENT_MAX_BYTES,
        settings.ATTACHMENT_MAX_VIDEO_BYTES,
        settings.UPLOAD_MAX_BYTES,
        settings.API_MAX_BODY,
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    )
    assert size_bytes(one(https, "client_max_body_size")[1][0]) > largest


def test_nginx_compresses_text_and_passes_the_proxy_headers_the_app_trusts(https, monkeypatch):
    assert one(https, "gzip")[1] == ["on"]
    types = one(https, "gzip_types")[1]
    for wanted in ("text/css", "application/javascript", "application/json", "text/xml"):
        assert wanted in types
    assert "text/html" not in types  # always on once gzip is; nginx warns about a duplicate

    root = next(loc[2] for loc in find(https, "location") if loc[1] == ["/"])
    headers = {d[1][0]: d[1][1] for d in find(root, "proxy_set_header")}
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
    assert headers["X-Forwarded-Proto"] == "$scheme"
    assert headers["Host"] == "$host"
    # nginx waits longer than gunicorn, so a slow request ends in gunicorn's answer
    assert (
        seconds(one(root, "proxy_read_timeout")[1][0]) > gunicorn_settings(monkeypatch)["timeout"]
    )
    assert find(https, "ssl_certificate") and find(https, "ssl_certificate_key")


def test_nginx_sends_requests_to_gunicorn_and_static_files_from_collectstatic(
    nginx, https, monkeypatch
):
    upstream = one(nginx, "upstream")
    assert one(upstream[2], "server")[1][0] == gunicorn_settings(monkeypatch)["bind"]
    assert one(next(loc[2] for loc in find(https, "location") if loc[1] == ["/"]), "proxy_pass")[
        1
    ] == ["http://" + upstream[1][0]]

    static = next(loc[2] for loc in find(https, "location") if loc[1] == ["/static/"])
    assert one(static, "alias")[1][0] == f"{INSTALL_DIR}/{Path(settings.STATIC_ROOT).name}/"
    assert one(static, "gzip_static")[1] == ["on"]
    assert seconds(one(static, "expires")[1][0].rstrip("d")) >= 30  # days
    # the attachments are never served by nginx
    media = next(loc[2] for loc in find(https, "location") if loc[1] == ["/media/"])
    assert one(media, "return")[1] == ["404"]


# --- systemd ---------------------------------------------------------------------------------


def unit(name):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / "systemd" / name, encoding="utf-8")
    return parser


def in_repo(path):
    """A path of the installed checkout as a path of this one."""
    assert path.startswith(INSTALL_DIR + "/"), path
    return ROOT / path.removeprefix(INSTALL_DIR + "/")


def docs_env():
    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^([A-Z_]+)=(\S+)", text, flags=re.M))


def test_the_web_unit_starts_gunicorn_of_the_venv_with_the_config_of_the_repo():
    service = unit("duan8-web.service")["Service"]
    command = shlex.split(service["ExecStart"])
    assert command[0] == f"{INSTALL_DIR}/.venv/bin/gunicorn"
    assert service["WorkingDirectory"] == INSTALL_DIR
    config = command[command.index("--config") + 1]
    assert in_repo(config) == DEPLOY / "gunicorn.conf.py" and in_repo(config).is_file()
    module = command[-1]
    assert module == settings.WSGI_APPLICATION.rsplit(".", 1)[0]
    assert importlib.util.find_spec(module) is not None
    assert service["EnvironmentFile"] == "/etc/duan8/env"
    assert service["User"] == "duan8"


def test_the_web_unit_is_hardened_and_may_write_only_the_media():
    service = unit("duan8-web.service")["Service"]
    assert service["NoNewPrivileges"] == "true"
    assert service["ProtectSystem"] == "strict"
    assert service["PrivateTmp"] == "true"
    writable = service["ReadWritePaths"].split()
    media_root = docs_env()["MEDIA_ROOT"]
    assert any(media_root == path or media_root.startswith(path + "/") for path in writable)


HARDENING = (
    "NoNewPrivileges",
    "ProtectSystem",
    "ReadWritePaths",
    "ProtectHome",
    "PrivateTmp",
    "PrivateDevices",
    "ProtectKernelTunables",
    "ProtectKernelModules",
    "ProtectKernelLogs",
    "ProtectControlGroups",
    "ProtectClock",
    "ProtectHostname",
    "RestrictSUIDSGID",
    "RestrictRealtime",
    "RestrictNamespaces",
    "LockPersonality",
    "SystemCallArchitectures",
    "CapabilityBoundingSet",
    "RestrictAddressFamilies",
    "UMask",
)


def celery_command(name):
    """The unit's ExecStart as (celery sub-command, its options), after checking it runs the
    venv's celery on our application in the installed checkout."""
    service = unit(name)["Service"]
    command = shlex.split(service["ExecStart"])
    assert command[0] == f"{INSTALL_DIR}/.venv/bin/celery"
    assert service["WorkingDirectory"] == INSTALL_DIR
    assert service["EnvironmentFile"] == "/etc/duan8/env"
    assert (service["User"], service["Group"]) == ("duan8", "duan8")
    module = command[command.index("-A") + 1]
    assert module == "duan8.jobs.celery_app" and importlib.util.find_spec(module) is not None
    return command[command.index("-A") + 2], command[command.index("-A") + 3 :]


@pytest.mark.parametrize("name", ["duan8-worker.service", "duan8-beat.service"])
def test_the_task_units_are_hardened_like_the_web_unit(name):
    web = unit("duan8-web.service")["Service"]
    service = unit(name)["Service"]

    for key in HARDENING:
        assert service.get(key) == web[key], key
    assert service["Restart"] == "on-failure"


def test_the_worker_unit_runs_the_celery_worker_and_lets_running_jobs_finish():
    from duan8.documents.pdf import TIMEOUT_SECONDS
    from duan8.jobs.tasks import app

    sub, options = celery_command("duan8-worker.service")
    service = unit("duan8-worker.service")["Service"]

    assert sub == "worker"
    concurrency = next(o for o in options if o.startswith("--concurrency="))
    assert int(concurrency.split("=")[1]) >= 1
    time_limit = int(next(o for o in options if o.startswith("--time-limit=")).split("=")[1])
    soft = int(next(o for o in options if o.startswith("--soft-time-limit=")).split("=")[1])
    assert TIMEOUT_SECONDS < soft < time_limit  # a slow PDF is not cut short; a stuck job fails
    assert int(service["TimeoutStopSec"]) > TIMEOUT_SECONDS  # warm shutdown lets it finish
    assert service["KillMode"] == "mixed"
    assert "duan8.jobs.run_job" in app.tasks
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


def test_the_beat_unit_keeps_its_schedule_where_it_may_write_and_schedules_the_reminders():
    sub, options = celery_command("duan8-beat.service")
    service = unit("duan8-beat.service")["Service"]

    assert sub == "beat"
    schedule = next(o for o in options if o.startswith("--schedule=")).split("=", 1)[1]
    writable = service["ReadWritePaths"].split()
    assert any(schedule.startswith(path + "/") for path in writable)
    entries = settings.CELERY_BEAT_SCHEDULE.values()
    assert any(entry["kwargs"]["kind"] == "reports.reminders" for entry in entries)
    assert all(entry["kwargs"]["kind"] in settings.JOB_KINDS for entry in entries)


def test_the_deployment_guide_sets_a_real_broker():
    broker = docs_env()["TASK_BROKER_URL"]
    assert broker.split("://")[0] in ("redis", "amqp")


# --- docs ------------------------------------------------------------------------------------


def test_the_deployment_guide_names_every_deploy_file():
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    files = [p.relative_to(ROOT).as_posix() for p in DEPLOY.rglob("*") if p.is_file()]
    assert "deploy/systemd/duan8-web.service" in files
    assert "deploy/systemd/duan8-worker.service" in files
    for name in files:
        assert name in guide, name
