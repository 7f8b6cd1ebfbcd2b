"""The Dramatiq broker: Redis in service mode, an in-process stub broker in the embedded mode."""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import CurrentMessage

from core.settings import Settings
from pipeline.enqueue import QUEUES


def setup_broker(settings: Settings) -> dramatiq.Broker:
    """Create the broker for this process and make it the global one actors bind to."""
    broker: dramatiq.Broker = RedisBroker(url=settings.redis_url) if settings.redis_url else StubBroker()
    broker.add_middleware(CurrentMessage())
    for queue in set(QUEUES.values()):
        broker.declare_queue(queue)
    dramatiq.set_broker(broker)
    return broker
