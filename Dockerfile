# The portal's production image, built once and run by the migrate, web, worker and beat
# services of docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_ENV=production STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media

# Pango and HarfBuzz for WeasyPrint; fontconfig and the fonts the PDFs print with: DejaVu
# (named by the stylesheet), Noto for every other script the Alliance's people write in
# (Arabic, Devanagari, Thai... in fonts-noto-core; Chinese, Japanese and Korean in
# fonts-noto-cjk); the PostgreSQL 15 client for backups; curl for the healthcheck.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
      fonts-dejavu-core fonts-noto-core fonts-noto-cjk \
      postgresql-client curl \
 && rm -rf /var/lib/apt/lists/*

# The dependencies alone, read from pyproject.toml: a change to the code reuses this layer.
WORKDIR /app
COPY pyproject.toml ./
RUN python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"], sep="\n")' \
      > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

COPY . .
# collectstatic needs settings, not secrets: a throwaway key and database for the build only.
# The portal user gets a home of its own (gunicorn's control socket, fontconfig's cache).
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput -v0 \
 && rm -rf /tmp/build.sqlite3 /app/var \
 && useradd --system --uid 1000 --user-group --create-home --home-dir /home/portal \
      --shell /usr/sbin/nologin portal \
 && mkdir -p /data/media && chown portal:portal /data/media

USER portal
EXPOSE 8000
# Exec form: gunicorn is PID 1 and gets `docker stop`'s SIGTERM itself.
CMD ["gunicorn", "--config", "python:alliance87.gunicorn_conf", "alliance87.wsgi:application"]
