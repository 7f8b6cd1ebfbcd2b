"""Importing this package declares every actor on the current broker; ``declare_on`` declares
them on a later one (a process that sets up its pipeline twice, as tests do)."""

import dramatiq

from pipeline.actors import maintenance, people, photos

__all__ = ["declare_on", "maintenance", "people", "photos"]


def declare_on(broker: dramatiq.Broker) -> None:
    for module in (maintenance, people, photos):
        for actor in vars(module).values():
            if isinstance(actor, dramatiq.Actor) and actor.actor_name not in broker.actors:
                actor.broker = broker
                broker.declare_actor(actor)
