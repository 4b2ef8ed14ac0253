export { VisitorSocket, type SocketHandlers, type SocketStatus } from './socket.js';
