"""``fengqing serve``: the web application, production-style (DEBUG off, a real WSGI server, static files
served by the application itself)."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command

from ....commands import FengqingCommand
from ....errors import ConfigError


class Command(FengqingCommand):
    help = "启动网页应用（生产方式：waitress 服务器，关闭调试）"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--threads", type=int, default=8, help="工作线程数（默认 8）")

    def handle(self, *args, host, port, threads, **options):
        if settings.DEBUG:
            raise ConfigError("FENGQING_DEBUG=1 只用于开发：生产运行请去掉该环境变量")
        try:
            from waitress import serve
        except ImportError:
            raise ConfigError("缺少 waitress：请运行 pip install waitress") from None
        call_command("migrate", interactive=False, verbosity=0)
        from ....wsgi import application

        if host not in ("127.0.0.1", "localhost", "::1") and host not in settings.ALLOWED_HOSTS:
            self.stderr.write(f"提示：请把 {host} 或本机的域名加入环境变量 FENGQING_ALLOWED_HOSTS")
        self.stdout.write(f"风清网页应用：http://{host}:{port}/  （Ctrl+C 停止）")
        serve(application, host=host, port=port, threads=threads, ident="fengqing")
