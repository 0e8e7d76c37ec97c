package org.postbus.store.file.internal;

import java.nio.ByteBuffer;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/** How the index stores a {@link Key}: two variable-length numbers. */
final class KeyType extends BasicDataType<Key> {

    static final KeyType INSTANCE = new KeyType();

    private KeyType() {
    }

    @Override
    public int getMemory(Key key) {
        return 32;
    }

    @Override
    public void write(WriteBuffer buff, Key key) {
        buff.putVarLong(key.hi()).putVarLong(key.lo());
    }

    @Override
    public Key read(ByteBuffer buff) {
        return new Key(DataUtils.readVarLong(buff), DataUtils.readVarLong(buff));
    }

    @Override
    public int compare(Key a, Key b) {
        return a.compareTo(b);
    }

    @Override
    public Key[] createStorage(int size) {
        return new Key[size];
    }
}
