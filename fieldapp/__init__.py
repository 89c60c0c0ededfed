"""fieldapp: the commune child-information system."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from fieldapp import config as config_module
from fieldapp.extensions import csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the application: defaults, then ``FIELDAPP_*`` environment, then ``config``."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config_module.Config)
    app.config.from_prefixed_env("FIELDAPP")
    if config:
        app.config.update(config)
    config_module.finish(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    from fieldapp import assets, clock, compress, headers, htmx, models, text  # noqa: F401
    from fieldapp.auth import throttle
    from fieldapp.auth.login import init_login
    from fieldapp.db import configure_sqlite, report_unavailable

    db.init_app(app)
    with app.app_context():
        report_unavailable(db.engine)
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), compare_type=True)
    csrf.init_app(app)
    throttle.init_app(app)  # the limiter, on the app's database by default
    login_manager.init_app(app)
    init_login(login_manager)
    compress.init_app(app)  # after_request hooks run last-registered first: this one last
    assets.init_app(app)  # minified before it is compressed
    htmx.init_app(app)
    clock.init_app(app)  # the |shown filter: one way to show a date or a time
    text.init_app(app)  # query strings checked before any view
    headers.init_app(app)
    hops = int(app.config.get("PROXY_HOPS", 0))
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_blueprints(app: Flask) -> None:
    from fieldapp import apiv1, openapi
    from fieldapp.audit.views import bp as audit_bp
    from fieldapp.auth import api as auth_api
    from fieldapp.auth.account_views import bp as accounts_bp
    from fieldapp.auth.views import bp as auth_bp
    from fieldapp.cases import api as cases_api
    from fieldapp.cases.views import bp as cases_bp
    from fieldapp.children.edit_views import bp as child_edit_bp
    from fieldapp.children.export_views import bp as child_export_bp
    from fieldapp.children.household_views import bp as households_bp
    from fieldapp.children.import_views import bp as child_import_bp
    from fieldapp.children.transfer_views import bp as transfers_bp
    from fieldapp.children.views import bp as children_bp
    from fieldapp.collection import api as collection_api
    from fieldapp.collection.views import bp as collection_bp
    from fieldapp.devices import api as devices_api
    from fieldapp.devices.views import bp as devices_bp
    from fieldapp.home.views import bp as home_bp
    from fieldapp.offline.views import bp as offline_bp
    from fieldapp.places.views import bp as places_bp
    from fieldapp.quality.duplicate_views import bp as duplicates_bp
    from fieldapp.quality.recheck_views import bp as recheck_bp
    from fieldapp.quality.views import bp as quality_bp
    from fieldapp.reports import api as reports_api
    from fieldapp.reports.dashboard_views import bp as report_dashboard_bp
    from fieldapp.reports.list_views import bp as report_lists_bp
    from fieldapp.reports.views import bp as reports_bp
    from fieldapp.review import api as review_api
    from fieldapp.review.bulk_views import bp as bulk_review_bp
    from fieldapp.review.views import bp as review_bp
    from fieldapp.settings.views import bp as settings_bp
    from fieldapp.verification.file_views import bp as verification_files_bp
    from fieldapp.verification.views import bp as verification_bp

    # Each feature's JSON API nested under /api/v1: endpoints api.<feature>.<view>.
    api_bp = apiv1.blueprint(auth_api.bp, collection_api.bp, devices_api.bp, review_api.bp,
                             openapi.bp, reports_api.bp, cases_api.bp)
    for bp in (home_bp, auth_bp, accounts_bp, places_bp, audit_bp, children_bp, child_edit_bp,
               child_export_bp, households_bp, child_import_bp, api_bp, collection_bp,
               offline_bp, review_bp, bulk_review_bp, quality_bp, recheck_bp, duplicates_bp,
               verification_bp, verification_files_bp, devices_bp, transfers_bp, settings_bp,
               reports_bp, report_dashboard_bp, report_lists_bp, cases_bp):
        app.register_blueprint(bp)


def register_errorhandlers(app: Flask) -> None:
    from fieldapp.errors import register_errorhandlers as register

    register(app)


def register_cli(app: Flask) -> None:
    from fieldapp.cli import register

    register(app)
