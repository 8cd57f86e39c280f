# The summarization service, CPU only. Build: docker build -t article-summarizer .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 \
    SUMMARIZER_MODELS_DIR=/models \
    SUMMARIZER_CACHE_URL=sqlite:////data/summaries.sqlite3

WORKDIR /app
# CPU wheel of torch first, so the package's torch==2.13.0 pin does not pull a CUDA build.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
COPY pyproject.toml README.md ./
COPY requirements ./requirements
# The service's dependencies at the versions in the lock file (pip-compile), then the package.
RUN pip install -r requirements/service.txt
COPY summarizer ./summarizer
COPY api ./api
COPY models ./models
RUN pip install --no-deps . \
    && useradd --create-home --uid 10001 app \
    && mkdir -p /models /data \
    && cp models/*.toml /models/ \
    && chown -R app:app /models /data

USER app
# /models: checkpoints (summarizer models pull NAME, or a converted folder); /data: the cache.
VOLUME ["/models", "/data"]
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2)"
# uvicorn finishes in-flight requests on SIGTERM; give it the request deadline to do so.
STOPSIGNAL SIGTERM
# Behind nginx (compose.yaml, deploy/nginx): the faster httptools parser; nginx bounds heads.
CMD ["summarizer", "serve", "--host", "0.0.0.0", "--port", "8000"]
