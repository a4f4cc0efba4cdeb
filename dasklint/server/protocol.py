"""The JSON-RPC protocol, answering requests that pygls cannot read.

pygls reads each message into its typed form while decoding the JSON; when a request's
params do not fit its type (a hover without a position, say) it reports the error but
sends no response, and a client waiting for one waits forever. Here such a request gets
the JSON-RPC error response it is owed (``InvalidParams``), and pygls then reports the
error as before.
"""

from __future__ import annotations

from typing import Any

from pygls.exceptions import JsonRpcException
from pygls.protocol import LanguageServerProtocol


class DasklintProtocol(LanguageServerProtocol):
    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            ident = data.get("id")
            if "method" in data and isinstance(ident, (int, str)) and not isinstance(ident, bool):
                self._send_response(ident, error=error.to_response_error())
            raise
