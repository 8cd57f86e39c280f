"""The anchor of benchmarks/load.py: a bare FastAPI endpoint of the same shape as
``POST /v1/summaries`` (one route, a pydantic body ``{"text": ...}``, a JSON response of the
same size), with nothing else: no middleware, no cache, no model.

    LOAD_BARE_RESPONSE=response.json uvicorn --app-dir benchmarks bare_app:app
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

RESPONSE: dict[str, Any] = json.loads(Path(os.environ["LOAD_BARE_RESPONSE"]).read_text("utf-8"))

app = FastAPI()


class Body(BaseModel):
    text: str


@app.post("/v1/summaries")
async def summarize(body: Body) -> dict[str, Any]:
    return RESPONSE
