// The peer of the chat fan-out benchmark: a stock socket.io server, in-memory adapter, one process,
// no persistence and no authorisation. A client joins a room with `join`; `send` stamps nothing and
// emits `message.created` to the whole room (the sender too), as our chat does; `typing` goes to
// the room but the typist.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { serveClient: false, transports: ['websocket'] });
io.on('connection', (socket) => {
  socket.on('join', (room, ack) => {
    void socket.join(room);
    if (typeof ack === 'function') ack({ ok: true });
  });
  socket.on('send', ({ room, message }, ack) => {
    io.to(room).emit('message.created', { channelId: room, message });
    if (typeof ack === 'function') ack({ ok: true });
  });
  socket.on('typing', ({ room, memberId }) => {
    socket.to(room).emit('typing', { channelId: room, memberId });
  });
});
http.listen(0, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${http.address().port}\n`);
});
process.on('SIGTERM', () => {
  io.close();
  process.exit(0);
});
