"""Command-line tools: ``flask --app wsgi places load | users create | demo seed |
duplicates rebuild | children align | backup | restore`` (the last two in backup.py)."""

import os

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from fieldapp.errors import DomainError
from fieldapp.extensions import db

places_cli = AppGroup("places", help="Tỉnh, xã và thôn/bản.")
users_cli = AppGroup("users", help="Tài khoản người dùng.")
demo_cli = AppGroup("demo", help="Dữ liệu minh họa (chỉ khi FIELDAPP_DEMO=1).")
duplicates_cli = AppGroup("duplicates", help="Các cặp hồ sơ có thể trùng (lưu sẵn).")
children_cli = AppGroup("children", help="Sổ trẻ em.")


@places_cli.command("load")
def places_load():
    """Load the 34 provinces and 3,321 communes from vietnam-provinces (idempotent)."""
    from fieldapp.places.services import load_places

    counts = load_places()
    db.session.commit()
    click.echo("places: {added} added, {changed} changed, {unchanged} unchanged".format(**counts))


@users_cli.command("create")
@click.argument("username")
@click.option("--role", required=True, help="collaborator, village_head, commune_officer, …")
@click.option("--place", "places", multiple=True, help="Place code; repeat for villages.")
@click.option("--name", "full_name", default="", help="Full name.")
@click.option("--temporary", is_flag=True, help="Must change the password at first login.")
def users_create(username, role, places, full_name, temporary):
    """Create an account; the password comes from FIELDAPP_NEW_PASSWORD or a prompt."""
    from fieldapp.auth.accounts import create_user

    password = os.environ.get("FIELDAPP_NEW_PASSWORD") or click.prompt(
        "Mật khẩu", hide_input=True, confirmation_prompt=True
    )
    try:
        user, _ = create_user(
            None, username=username, role=role, places=list(places), full_name=full_name,
            password=password,
        )
    except DomainError as error:
        for field, messages in error.errors.items():
            click.echo(f"{field}: {'; '.join(messages)}", err=True)
        raise click.ClickException(error.detail or "không tạo được tài khoản") from error
    user.must_change_password = temporary
    db.session.commit()
    click.echo(f"created {user.username} ({user.role})")


@demo_cli.command("seed")
def demo_seed():
    """Create the demo commune, villages and accounts when the database has no accounts."""
    from fieldapp.children.models import Child, Household
    from fieldapp.demo import DEMO_PASSWORD, seed

    if not current_app.config.get("DEMO"):
        raise click.ClickException("demo data is refused unless FIELDAPP_DEMO=1")
    created = seed()
    db.session.commit()
    if not created:
        click.echo("demo: the database already has accounts; nothing loaded")
        return
    children = db.session.scalar(select(func.count(Child.id)))
    households = db.session.scalar(select(func.count(Household.id)))
    click.echo(f"demo register: {children} children in {households} households")
    click.echo(f"demo accounts (password {DEMO_PASSWORD}):")
    for user in created:
        click.echo(f"  {user.username:<12} {user.role}")


@duplicates_cli.command("rebuild")
@click.option("--commune", "communes", multiple=True, help="Commune code; repeat. All if none.")
def duplicates_rebuild(communes):
    """Judge every probable duplicate pair again from scratch, commune by commune (after an
    upgrade to 0008, or a load that bypassed the app); one commit per commune."""
    from fieldapp.children.models import Child
    from fieldapp.children.services import rebuild_pairs
    from fieldapp.collection.models import Submission
    from fieldapp.collection.services import rebuild_pairs as rebuild_waiting

    if not communes:
        communes = sorted(set(db.session.scalars(select(Child.commune_code).distinct()))
                          | set(db.session.scalars(select(Submission.commune_code).distinct())))
    for commune in communes:
        register = rebuild_pairs(commune)
        rebuild_waiting(commune)
        db.session.commit()
        click.echo(f"{commune}: {register} register pairs")


@children_cli.command("align")
@click.option("--commune", "communes", multiple=True, help="Commune code; repeat. All if none.")
def children_align(communes):
    """Put every active child of a poor or near-poor household in NC02 from today, and end
    NC02 today for the others (issue 14): once, for a register kept before the rule; one
    commit per commune, each change in the children's history as the system's."""
    from fieldapp.children.models import Child
    from fieldapp.children.services import align_household_groups

    if not communes:
        communes = sorted(set(db.session.scalars(select(Child.commune_code).distinct())))
    for commune in communes:
        count = align_household_groups(commune)
        db.session.commit()
        click.echo(f"{commune}: {count} children changed")


def register(app: Flask) -> None:
    from fieldapp.backup import backup_command, restore_command

    for group in (places_cli, users_cli, demo_cli, duplicates_cli, children_cli,
                  backup_command,
                  restore_command):
        app.cli.add_command(group)
