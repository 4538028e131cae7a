"""The one batched loop of every crm_plus cron (and of the service, reports and integration addons)."""

import logging
import threading
import time

import psycopg2.errors

from odoo import api, models
from odoo.tools import SQL, split_every

_logger = logging.getLogger(__name__)


class IrCron(models.Model):
    _inherit = "ir.cron"

    @api.model
    def _crm_plus_run_batches(self, label, items, process, batch_size=500, deadline=None, commit=True,
                              keep_going=None):
        """Run ``process(batch)`` over ``items`` batch by batch, as every crm_plus cron does.

        ``items``: a recordset (its order is kept: search it ordered by id, or by the order the work
        needs) or a list of plain values. ``process`` does one batch and returns how many things it did
        (records written, to-dos created...; ``None`` counts as 0); it must be idempotent: the work it
        does takes its records out of the cron's domain, or is recorded so that a rerun skips it.

        After each batch: commit (not in tests: the test's transaction must stay whole), the cache
        cleared, the progress told to the cron runner cumulatively (``done`` items out of all, so that
        a cron stopped by ``deadline`` (a ``time.monotonic()`` value) or by a crash is called again and
        resumes where its domain now starts). Counts are logged once at the end under ``label``.
        ``commit=False`` runs the same loop inside the caller's transaction (a small import done while
        the user waits); ``keep_going()``, called after each commit, stops the loop when it returns
        False (e.g. a row lock taken again after the commit is now held by another worker).
        Returns the sum of what ``process`` returned.

        Two hosts may run the same cron at once (a manual run beside the scheduled one, a host whose
        run outlived its lock): ``process`` starts with ``_crm_plus_claim(batch, condition)`` unless its
        work is locked another way, and every batch runs in a transaction of its own.
        """
        testing = getattr(threading.current_thread(), "testing", False)
        is_records = isinstance(items, models.BaseModel)
        ids = items.ids if is_records else list(items)
        total, done, result = len(ids), 0, 0
        if commit and not testing and ids:
            # the first batch starts a transaction of its own too: its first query (``_crm_plus_claim``)
            # then sees what another host committed while this one searched
            self.env.cr.commit()  # pylint: disable=invalid-commit
            self.env.invalidate_all()
            if keep_going is not None and not keep_going():
                return 0
        for chunk in split_every(batch_size, ids, list):
            if deadline is not None and done and time.monotonic() > deadline:
                break
            batch = items.browse(chunk) if is_records else chunk
            result += process(batch) or 0
            done += len(chunk)
            if commit and not testing:
                self.env.cr.commit()  # pylint: disable=invalid-commit
                self.env.invalidate_all()
            self._notify_progress(done=done, remaining=total - done)
            if keep_going is not None and not keep_going():
                break
        _logger.info("crm_plus %s: %d of %d examined, %d done", label, done, total, result)
        return result

    @api.model
    def _crm_plus_claim(self, records, condition=None):
        """The records of ``records`` this transaction works on, locked until it ends (``records``' order kept).

        A record another host is working on is skipped (``FOR NO KEY UPDATE SKIP LOCKED``); ``condition``
        (an ``SQL`` condition on the records' table: still due?) leaves out those the other host just
        finished. A batch of ``_crm_plus_run_batches`` starts a new transaction, and its snapshot is taken
        by this query: work committed by another host before it is seen, work another host commits
        later has its rows locked until then. A row changed by a host that committed between the snapshot
        and the lock is a serialization failure (Odoo's transactions are REPEATABLE READ): that host did
        the work, so the whole batch is left (nothing claimed) and what is still due is the next run's.
        The failure is expected, so the query is not logged as a bad one.
        """
        if not records:
            return records
        records.flush_recordset()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(SQL(
                    "SELECT id FROM %s WHERE id = ANY(%s) AND %s ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
                    SQL.identifier(records._table), records.ids, condition or SQL("TRUE")),
                    log_exceptions=False)
                ids = {row[0] for row in self.env.cr.fetchall()}
        except psycopg2.errors.SerializationFailure:
            _logger.info("crm_plus: %d %s rows changed by another host meanwhile, left to the next run",
                         len(records), records._name)
            return records.browse()
        claimed = records.browse([rid for rid in records.ids if rid in ids])
        claimed.invalidate_recordset()
        return claimed
