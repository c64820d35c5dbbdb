"""Money that came to the resident, and an account lent: not money sent.

先往俺卡上打了五百块, 给我vx转了520, 收到一笔 不认识的人转的, 对方先给了他500: the money came
in.  把vx借给同学用了: an account was lent.  :func:`bot.situation.payment.clause_status` reads
a paying verb after these as no payment by the resident.
"""
from __future__ import annotations

import re

INCOMING = re.compile(r"(?:给|往|向|到)(?:我|俺)(?:的)?[^，。！？\s]{0,4}?(?:卡|账户|帐户|vx|微信|支付宝|零钱)?(?:上|里)?$"
                      r"|(?:我|俺)(?:收到|到账)[^，。！？\s]{0,6}$"
                      # 对方先给了他500, 网恋对象往她卡上打了5万: from the other side to the relative.
                      r"|^(?:对方|他们|那人|骗子|人家|那边|买家)(?:先|又|就|还)?$"
                      r"|^[^，。！？\s]{0,8}?(?:对象|对方|骗子|那人|网友|客服|他们|买家|人家|男友|女友)(?:先|又|就|还)?"
                      r"(?:给|往|向)(?:她|他)(?:的)?[^，。！？\s]{0,4}?(?:卡|账户|微信|支付宝)?(?:上|里)?$")
LENT_ACCOUNT = re.compile(r"把(?:我的|他的|她的|自己的)?(?:vx|微信|支付宝|账号|帐号|号|手机卡|电话卡|手机|身份证)$")
STRANGER_SENT = re.compile(r"^[^我俺，。！？\s]{0,8}?(?:人|他|她|对方)(?:转|打|汇)的$")
