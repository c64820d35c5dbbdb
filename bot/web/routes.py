"""The route table."""
from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.web import views_admin, views_auth, views_console, views_dashboard, views_public


def setup(app: web.Application, static_dir: Path) -> None:
    r = app.router
    r.add_get("/", views_public.chat_page)
    r.add_get("/config.js", views_public.config_js)
    r.add_get("/widget.js", views_public.widget_js)
    r.add_get("/embed-demo.html", views_public.embed_demo)
    r.add_get("/healthz", views_public.healthz)
    r.add_get("/api/history/{session_id}", views_public.history)
    r.add_post("/api/session", views_public.new_session)
    r.add_get("/login", views_auth.login_form)
    r.add_post("/login", views_auth.login)
    r.add_post("/logout", views_auth.logout)

    r.add_get("/console", views_console.event_list)
    r.add_get("/console/events/new", views_console.new_event_form)
    r.add_post("/console/events", views_console.create_event)
    r.add_get("/console/events/{event_id:\\d+}", views_console.event_page)
    r.add_get("/console/events/{event_id:\\d+}/stats.json", views_console.event_stats_json)
    r.add_get("/console/events/{event_id:\\d+}/qr.svg", views_console.event_qr)
    r.add_get("/console/events/{event_id:\\d+}/export.csv", views_console.event_export)
    r.add_post("/console/events/{event_id:\\d+}/redeem", views_console.redeem)
    r.add_post("/console/events/{event_id:\\d+}/close", views_console.close_event)
    r.add_post("/console/events/{event_id:\\d+}/joining", views_console.set_joining)
    r.add_post("/console/events/{event_id:\\d+}/offline", views_console.record_offline)

    r.add_get("/admin/users", views_admin.user_list)
    r.add_post("/admin/users", views_admin.create_user)
    views_dashboard.setup(app)

    r.add_static("/static", static_dir, append_version=False)  # public: see middlewares.auth
