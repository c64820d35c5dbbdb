"""indexes for the manager dashboard

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 07:00:00

The dashboard aggregates a million turns per page view.  SQLite groups rows by
sorting them unless an index already holds them in group order, and sorting a
million rows takes longer than the whole page may.  So each index below lists
the columns in the order the dashboard groups by, and covers what it counts:

* ``ix_turns_report``: turns per topic, answered or not, per day, with the
  conversation id to check the filters against;
* ``ix_turns_unanswered``: only fallback turns (a few percent), for grouping their
  texts.  SQLite keeps the text in the index; PostgreSQL does not, because a
  long message could exceed its index row size limit;
* ``ix_conversations_report``: conversations per day, event and audience, with
  the channel and question count a filter or a count needs;
* ``ix_answers_report``: quiz answers per question, right or wrong.

``date(...)`` is an indexed expression: a later batch migration that recreates
``turns`` or ``conversations`` must create these again, because SQLAlchemy does
not reflect expression indexes.  They are declared here only, not in
``bot/db/models.py``.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table('turns', schema=None) as batch_op:
        batch_op.create_index('ix_turns_report', ['topic', 'fell_back', sa.text('date(at)'), 'conversation_id'],
                              unique=False)
        batch_op.create_index('ix_turns_unanswered', ['conversation_id', 'text'] if sqlite else ['conversation_id'],
                              unique=False, sqlite_where=sa.text('fell_back = 1'),
                              postgresql_where=sa.text('fell_back'))
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.create_index('ix_conversations_report',
                              [sa.text('date(started_at)'), 'event_id', 'audience', 'channel', 'n_questions'],
                              unique=False)
    with op.batch_alter_table('quiz_answers', schema=None) as batch_op:
        batch_op.create_index('ix_answers_report', ['question_id', 'topic', 'correct', 'attempt_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('quiz_answers', schema=None) as batch_op:
        batch_op.drop_index('ix_answers_report')
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index('ix_conversations_report')
    with op.batch_alter_table('turns', schema=None) as batch_op:
        batch_op.drop_index('ix_turns_unanswered')
        batch_op.drop_index('ix_turns_report')
