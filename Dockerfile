# The portal's production image: gunicorn web, Celery worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_ENV=production STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media

# Pango and HarfBuzz for WeasyPrint's PDF rendering; curl for the healthchecks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY alliance87 alliance87
COPY pathfinders pathfinders
COPY governance governance
COPY financing financing
COPY workshops workshops
RUN pip install .
COPY . .
# collectstatic needs settings, not secrets: a throwaway key and host for the build only.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
 && useradd --system --uid 1000 portal && mkdir -p /data/media && chown -R portal /data

USER portal
EXPOSE 8000
CMD ["gunicorn", "alliance87.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--max-requests", "2000", "--max-requests-jitter", "200", "--access-logfile", "-"]
