"""session versions for staff, the network source of each event join

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 19:30:00

* ``users.session_version``: every session cookie carries the version it was
  issued under; logout, disabling a user or changing a role bumps it, so every
  cookie issued before stops working at its next request.
* ``participants.source_key``: a hash of the address (and device) a join came
  from, so joins can be limited per source across action-server replicas and a
  volunteer can see a flood coming from one place.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_key', sa.String(length=32), nullable=False, server_default=''))
        batch_op.create_index('ix_participants_source', ['event_id', 'source_key', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_index('ix_participants_source')
        batch_op.drop_column('source_key')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
