"""Pure-Python helpers of the service addon (no ORM): working-time arithmetic, SLA clock states, the China
business calendar, reading incoming e-mails, checking portal input and choosing an agent. Models call them;
tests run them without a database."""

from . import assignment, china_calendar, mail_intake, portal_input, sla, working_time
