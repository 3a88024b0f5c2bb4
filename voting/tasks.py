"""Celery tasks of the voting app: they take ids and call one service."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from omakouvola.tasking import PERIODIC_TASK_OPTIONS, BoundedTask

from . import services


# A mix rewrites one ballot's votes; a few thousand rows take well under a second, and
# a mix repeated after a lost worker only shuffles again.
@shared_task(
    verbose_name=_("Shuffle a ballot's sealed votes"),
    base=BoundedTask,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=5 * 60,
    soft_time_limit=4 * 60,
)
def votes_mix_task(ballot_id: int) -> int:
    return services.votes_mix(ballot_id=ballot_id, throttle=True)


@shared_task(
    **PERIODIC_TASK_OPTIONS,
    time_limit=10 * 60,
    soft_time_limit=9 * 60,
    verbose_name=_("Shuffle votes waiting to be mixed"),
)
def votes_mix_pending_task() -> int:
    return services.votes_mix_pending()


class CodeBatchTask(BoundedTask):
    # Printing is idempotent (a rerun makes new codes and replaces the hashes before any
    # code works), so lost workers may restart it; after that the batch says FAILED.
    max_attempts = 5

    def give_up(self, batch_id: int, *, error: str) -> None:
        from . import codes

        codes.code_batch_give_up(batch_id=batch_id, error=error)


@shared_task(
    verbose_name=_("Print voting code slips"),
    base=CodeBatchTask,
    autoretry_for=(OSError,),
    retry_backoff=10,
    max_retries=3,
    time_limit=10 * 60,
    soft_time_limit=9 * 60,
)
def code_batch_print_task(batch_id: int) -> None:
    from . import codes

    codes.code_batch_print(batch_id=batch_id)
