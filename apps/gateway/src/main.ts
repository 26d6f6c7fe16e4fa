await (await import('./bootstrap.js')).runGateway();
